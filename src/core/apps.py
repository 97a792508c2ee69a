from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Socle"

    def ready(self):
        from core import navigation

        navigation.register("Accueil", "core:home", order=0, login_required=False)
