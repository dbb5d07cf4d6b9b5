"""The fixed vocabularies of indicators and their figures, shared by models, formatting and judgements.

Kept apart from models.py so that the modules that word and judge figures need not import the models.
"""

from django.db import models


class AreaKind(models.TextChoices):
    LOCAL_AUTHORITY = "local_authority", "Local authority"
    REGION = "region", "Region"
    COUNTRY = "country", "Country"
    UNITED_KINGDOM = "uk", "United Kingdom"


class ValueType(models.TextChoices):
    PERCENTAGE = "percentage", "Percentage"
    COUNT = "count", "Count"
    CURRENCY = "currency", "Amount in pounds"
    CHANGE = "change", "Percentage change"
    RANK = "rank", "Rank"
    SURVEY_PROPORTION = "survey", "Survey proportion"


class Polarity(models.TextChoices):
    HIGHER_IS_BETTER = "higher_better", "Higher is better"
    LOWER_IS_BETTER = "lower_better", "Lower is better"
    NO_JUDGEMENT = "none", "No judgement"


class StatedTrend(models.TextChoices):
    INCREASED = "increased", "Increased"
    DECREASED = "decreased", "Decreased"
    UNCHANGED = "unchanged", "Stayed the same"


class ComparisonRelation(models.TextChoices):
    HIGHER = "higher", "higher than"
    LOWER = "lower", "lower than"
    SIMILAR = "similar", "similar to"


class ImportStatus(models.TextChoices):
    PENDING = "pending", "Previewed, not imported"
    IMPORTED = "imported", "Imported"
    ROLLED_BACK = "rolled_back", "Rolled back"


class ImportLayout(models.TextChoices):
    CSV = "csv", "Our spreadsheet columns"
    ONS = "ons", "ONS Explore Local Statistics file"


class ChangeKind(models.TextChoices):
    CREATED = "created", "Created"
    UPDATED = "updated", "Updated"
