"""The pages a public service owes its users: privacy notice, accessibility statement, about.

Each figure they quote (how long something is kept, how long a reply takes) is read from settings
on every request, so a page can never promise something the site no longer does.
"""

from django.conf import settings
from django.views.generic import TemplateView

SECONDS_PER_DAY = 24 * 60 * 60


class PrivacyNoticeView(TemplateView):
    template_name = "pages/privacy.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            operator=settings.DIRECTORY_OPERATOR,
            privacy_email=settings.PRIVACY_CONTACT_EMAIL,
            enquiry_retention_days=settings.ENQUIRY_RETENTION_DAYS,
            rate_window_minutes=settings.ENQUIRY_RATE_WINDOW_SECONDS // 60,
            lockout_minutes=int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
            session_days=settings.SESSION_COOKIE_AGE // SECONDS_PER_DAY,
            invitation_days=settings.INVITATION_VALID_DAYS,
            unmatched_search_months=settings.UNMATCHED_SEARCH_RETENTION_MONTHS,
            **kwargs,
        )


class AccessibilityStatementView(TemplateView):
    template_name = "pages/accessibility.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            operator=settings.DIRECTORY_OPERATOR, reply_days=settings.ENQUIRY_REPLY_DAYS, **kwargs
        )


class AboutView(TemplateView):
    template_name = "pages/about.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            operator=settings.DIRECTORY_OPERATOR,
            review_months=settings.REVIEW_PERIOD_MONTHS,
            long_overdue_days=settings.LONG_OVERDUE_DAYS,
            **kwargs,
        )
