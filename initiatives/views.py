from django.views.generic import TemplateView

HomeView = ServiceListView = ServiceDetailView = OrganisationListView = OrganisationDetailView = NeedDetailView = TemplateView
