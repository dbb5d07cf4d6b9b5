"""Benchmark processing an uploaded image: peak memory and median time, one at a time and three at once.

    .venv/bin/python bench/images.py              # every case, 5 timed runs each
    .venv/bin/python bench/images.py --repeat 9

Each case is a clearly synthetic picture (gradients and soft noise, never a real photo), built once
into /tmp/mkdirectory_bench_images/ and handed to `validate_and_process_image` as a "photo" (the
larger box) in a fresh Python process, so that the process's peak memory (VmHWM) is that case's
alone. The byte cap (MAX_IMAGE_UPLOAD_BYTES) is lifted in that process: the bench measures what the
pixels cost, whatever the file weighs. "Peak" is the rise in peak resident memory over the process
after a small warm-up image; "3 at once" starts three threads on the same file together, as three
editors uploading at the same moment to one server process would. A refused image shows the time the
refusal took and the reason. Run on demand; `make test` never runs it.

To measure an older version, unpack it beside this one and run this file from there with the same
virtual environment (the worker imports the code of the tree it runs in):

    git archive <commit> | tar -x -C /tmp/before && cp bench/images.py /tmp/before/bench/
    (cd /tmp/before && /path/to/.venv/bin/python bench/images.py)
"""

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FOLDER = Path("/tmp/mkdirectory_bench_images")

# name, format, mode, width, height, save options. The caps: MAX_IMAGE_PIXELS (40,000,000) and, since
# issue 13, MAX_IMAGE_PIXELS_DECODED_WHOLE (12,500,000) for PNG, WebP and progressive JPEG.
PROGRESSIVE = {"progressive": True, "subsampling": 0}  # 4:4:4, the costliest to decode
CASES = [
    ("12 MP phone photo, JPEG", "JPEG", "RGB", 4000, 3000, {}),
    ("39.9 MP JPEG, just under MAX_IMAGE_PIXELS", "JPEG", "RGB", 7680, 5200, {}),
    ("48 MP phone photo, JPEG", "JPEG", "RGB", 8000, 6000, {}),
    ("12.5 MP progressive JPEG", "JPEG", "RGB", 4080, 3060, PROGRESSIVE),
    ("39.9 MP progressive JPEG", "JPEG", "RGB", 7680, 5200, PROGRESSIVE),
    ("12.5 MP PNG with transparency", "PNG", "RGBA", 4080, 3060, {}),
    ("39.9 MP PNG with transparency", "PNG", "RGBA", 7680, 5200, {}),
    ("12.5 MP WebP", "WEBP", "RGB", 4080, 3060, {}),
    ("39.9 MP WebP", "WEBP", "RGB", 7680, 5200, {}),
]


def main() -> None:
    arguments = _arguments()
    if arguments.worker:
        print(json.dumps(_measure(Path(arguments.worker), arguments.repeat, arguments.at_once)))
        return
    FOLDER.mkdir(exist_ok=True)
    rows = []
    for name, image_format, mode, width, height, options in CASES:
        path = _sample(image_format, mode, width, height, options)
        print(f"Measuring {name} ...", file=sys.stderr, flush=True)
        alone = _worker(path, repeat=arguments.repeat, at_once=1)
        together = _worker(path, repeat=1, at_once=3)
        rows.append((name, path.stat().st_size, alone, together))
    _print_table(rows)


def _arguments():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per case (default 5)")
    parser.add_argument("--worker", metavar="FILE", help=argparse.SUPPRESS)
    parser.add_argument("--at-once", type=int, default=1, help=argparse.SUPPRESS)
    return parser.parse_args()


def _worker(path: Path, *, repeat: int, at_once: int) -> dict:
    command = [sys.executable, __file__, "--worker", str(path), "--repeat", str(repeat)]
    finished = subprocess.run(
        [*command, "--at-once", str(at_once)],
        cwd=ROOT,
        check=True,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "mkdirectory.settings.test"},
    )
    return json.loads(finished.stdout.strip().splitlines()[-1])


def _sample(image_format: str, mode: str, width: int, height: int, options: dict) -> Path:
    """A synthetic picture of this size, made once: smooth gradients with soft noise, like a photo."""
    kind = "-progressive" if options.get("progressive") else ""
    path = FOLDER / f"{width}x{height}-{mode}{kind}.{image_format.lower()}"
    if path.exists():
        return path
    from PIL import Image, ImageChops

    across = Image.linear_gradient("L").resize((width, height))
    around = Image.radial_gradient("L").resize((width, height))
    if image_format == "PNG":  # a PNG photo this size would weigh tens of megabytes: a smooth graphic
        texture = ImageChops.multiply(across, around)
    else:
        noise = Image.effect_noise((width // 8, height // 8), 40).resize((width, height))
        texture = ImageChops.add(noise, across, scale=2)
    bands = (across, around, texture, across.transpose(Image.Transpose.FLIP_LEFT_RIGHT))
    Image.merge(mode, bands[: len(mode)]).save(path, image_format, quality=85, **options)
    return path


# ---- the worker: one case, in a process of its own ---------------------------------------------


def _measure(path: Path, repeat: int, at_once: int) -> dict:
    import django

    django.setup()
    from django.conf import settings
    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile

    from initiatives.images import validate_and_process_image

    settings.MAX_IMAGE_UPLOAD_BYTES = 1 << 40  # measure the pixels, whatever the file weighs
    content = path.read_bytes()

    def process() -> str:
        try:
            validate_and_process_image(SimpleUploadedFile(path.name, content), size="photo")
        except ValidationError as error:
            return error.code
        return "processed"

    warm_up = FOLDER / "warm-up.jpg"
    if not warm_up.exists():
        from PIL import Image

        Image.new("RGB", (200, 100)).save(warm_up)
    validate_and_process_image(SimpleUploadedFile("w.jpg", warm_up.read_bytes()), size="photo")
    before = _peak_kib()
    outcomes, seconds = [], []
    if at_once == 1:
        for _ in range(max(repeat, 1)):
            started = time.perf_counter()
            outcomes.append(process())
            seconds.append(time.perf_counter() - started)
    else:
        start = threading.Barrier(at_once)

        def run():
            start.wait()
            outcomes.append(process())

        started = time.perf_counter()
        threads = [threading.Thread(target=run) for _ in range(at_once)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        seconds.append(time.perf_counter() - started)
    return {
        "peak_mb": round((_peak_kib() - before) / 1024),
        "median_ms": round(statistics.median(seconds) * 1000),
        "outcomes": sorted(set(outcomes)),
    }


def _peak_kib() -> int:
    """The process's peak resident memory (Linux). Not ru_maxrss: that one survives exec, so a worker
    would inherit the peak of the parent that made the samples."""
    status = Path("/proc/self/status").read_text()
    return int(re.search(r"^VmHWM:\s+(\d+) kB", status, re.MULTILINE).group(1))


def _print_table(rows) -> None:
    print(f"\n{'case':<52} {'file':>8}  {'alone: peak, median':>22}  {'3 at once: peak, all done':>27}")
    for name, size, alone, together in rows:
        outcome = ", ".join(alone["outcomes"])
        together_outcome = "/".join(together["outcomes"])
        print(
            f"{name:<52} {size / 1e6:>6.1f}MB  {alone['peak_mb']:>6} MB {alone['median_ms']:>6} ms"
            f"  {together['peak_mb']:>8} MB {together['median_ms']:>6} ms  {outcome}; {together_outcome}"
        )


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
