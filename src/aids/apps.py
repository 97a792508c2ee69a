from django.apps import AppConfig


class AidsConfig(AppConfig):
    name = "aids"
    verbose_name = "Aides à la mobilité et à la levée des freins"

    def ready(self):
        from core import navigation

        navigation.register("Aides à la mobilité", "aids:catalogue", order=40, login_required=False)
