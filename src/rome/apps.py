from django.apps import AppConfig


class RomeConfig(AppConfig):
    name = "rome"
    verbose_name = "ROME 4.0"
