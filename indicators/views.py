from django.views.generic import TemplateView

IndicatorListView = IndicatorDetailView = TemplateView
