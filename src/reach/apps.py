from django.apps import AppConfig


class ReachConfig(AppConfig):
    name = "reach"
    verbose_name = "Temps de trajet"

    def ready(self):
        from core import navigation

        navigation.register(
            "Temps de trajet",
            "reach:index",
            order=35,
            login_required=False,
            group="Référentiels",
            description="Temps de trajet entre deux communes, en voiture, en transports, à vélo ou à pied.",
        )
