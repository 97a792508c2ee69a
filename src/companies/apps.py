from django.apps import AppConfig


class CompaniesConfig(AppConfig):
    name = "companies"
    verbose_name = "Entreprises"

    def ready(self):
        from core import navigation

        navigation.register(
            "Entreprises",
            "companies:index",
            order=65,
            group="Offres et entreprises",
            description="Le registre commun des entreprises, les contacts des partenaires et la prospection coordonnée.",
        )
        navigation.register(
            "Agenda du recrutement",
            "companies:agenda",
            order=66,
            login_required=False,
            group="Offres et entreprises",
            description="Job datings, forums et informations collectives organisés par les partenaires.",
        )
