from django import template

from ..forms import ProblemReportForm
from ..views import report_url

register = template.Library()


@register.inclusion_tag("feedback/report_inline.html", takes_context=True)
def report_problem_form(context, listing):
    """The short "Report a problem" form for the foot of a public listing's page."""
    return {
        "form": ProblemReportForm(),
        "listing": listing,
        "action": report_url(listing),
    }
