"""Image files for upload tests, built in memory: good ones, disguised ones and dangerous ones."""

import io
import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image

GPS_LATITUDE = (52.0, 2.0, 30.0)  # 52° 2′ 30″ N: Milton Keynes


def image_bytes(image_format: str, size=(64, 48), mode="RGB", **save_options) -> bytes:
    colour = (200, 30, 30, 128) if mode == "RGBA" else (200, 30, 30)
    output = io.BytesIO()
    Image.new(mode, size, colour[: len(mode)]).save(output, image_format, **save_options)
    return output.getvalue()


def upload(name: str, content: bytes, content_type: str = "image/png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def jpeg_with_gps(size=(64, 48), orientation: int | None = None) -> bytes:
    """A JPEG whose EXIF says where it was taken, and with what camera."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Test Camera Co"
    if orientation:
        exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.Base.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: GPS_LATITUDE,
        ExifTags.GPS.GPSLongitudeRef: "W",
        ExifTags.GPS.GPSLongitude: (0.0, 45.0, 0.0),
    }
    return image_bytes("JPEG", size=size, exif=exif.tobytes())


def png_bomb(width: int, height: int) -> bytes:
    """A valid one-bit PNG of width × height pixels: a few kilobytes that decode to hundreds of megabytes."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    row = b"\x00" + bytes((width + 7) // 8)  # filter byte, then the row's bits, all black
    compressor = zlib.compressobj(9)
    pixels = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # bit depth 1, greyscale
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
