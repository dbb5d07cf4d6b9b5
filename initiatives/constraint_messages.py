"""The models' check constraints in plain words, on the field a person should change.

Django reports a broken check constraint as a generic non-field error ("Constraint … is
violated"). The manage forms and the staff CSV import both show it beside the field (or column)
to correct instead, in the words below.
"""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

CONSTRAINT_MESSAGES = {
    "service_age_range_ordered": (
        "maximum_age",
        "The oldest age must be the same as or more than the youngest.",
    ),
    "service_dates_ordered": ("ends_on", "The end date must be the same as or after the start date."),
    "schedule_closes_after_opening": (
        "closes_at",
        "The closing time must be after the opening time. For midnight, use 00:00.",
    ),
    "session_ends_after_start": ("ends_at", "The end must be after the start."),
    "cost_amount_not_negative": ("amount", "The amount cannot be less than £0."),
}


def in_plain_words(model, errors: dict, fields) -> dict:
    """`errors` (field name: errors) with each broken check constraint of `model` moved from the
    non-field errors to its field in plain words, when that field is among `fields`."""
    broken = {
        constraint.get_violation_error_message(): constraint.name for constraint in model._meta.constraints
    }
    kept = []
    for error in errors.pop(NON_FIELD_ERRORS, []):
        field, message = CONSTRAINT_MESSAGES.get(broken.get(" ".join(error.messages)), (None, None))
        if field in fields:
            errors.setdefault(field, []).append(ValidationError(message))
        else:
            kept.append(error)
    if kept:
        errors[NON_FIELD_ERRORS] = kept
    return errors
