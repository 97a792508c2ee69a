from django.apps import AppConfig


class AidsConfig(AppConfig):
    name = "aids"
