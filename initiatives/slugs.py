from django.utils.text import slugify

SLUG_BASE_LENGTH = 180  # leaves room for "-123" within the 200 characters a slug may have


def free_slug(model, name: str, *, fallback: str, tried: frozenset[str] = frozenset()) -> str:
    """The first of name, name-2, name-3... that no `model` record has and that was not already
    tried; `fallback` stands for a name with nothing to make an address of."""
    base = slugify(name)[:SLUG_BASE_LENGTH] or fallback
    slug, number = base, 2
    while slug in tried or model.objects.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug
