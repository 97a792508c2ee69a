from django.apps import AppConfig


class CompaniesConfig(AppConfig):
    name = "companies"
    verbose_name = "Entreprises"

    def ready(self):
        from core import navigation

        navigation.register("Entreprises", "companies:index", order=65)
        navigation.register("Agenda du recrutement", "companies:agenda", order=66, login_required=False)
