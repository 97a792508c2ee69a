from django.apps import AppConfig


class RomeConfig(AppConfig):
    name = "rome"
    verbose_name = "ROME 4.0"

    def ready(self):
        from core import navigation

        navigation.register(
            "Métiers (ROME)",
            "rome:index",
            order=20,
            login_required=False,
            group="Référentiels",
            description="Le ROME 4.0 : fiches métiers, appellations, compétences et passerelles entre métiers.",
        )
