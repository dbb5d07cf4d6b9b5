from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "initiatives.feedback"
    label = "feedback"
    verbose_name = "Problems reported by residents"
