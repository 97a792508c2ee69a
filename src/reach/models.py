from django.db import models


class TransitFeed(models.Model):
    """An imported GTFS timetable and the day and time window its travel times were computed for."""

    name = models.CharField("nom", max_length=200, unique=True)
    file_name = models.CharField("fichier", max_length=300)
    service_date = models.DateField("jour de service")
    window_start = models.TimeField("départ au plus tôt")
    window_end = models.TimeField("départ au plus tard")
    imported_at = models.DateTimeField("importé le", auto_now=True)
    stops = models.PositiveIntegerField("arrêts rattachés", default=0)
    connections = models.PositiveIntegerField("liaisons", default=0)
    report = models.JSONField("rapport", default=dict, blank=True)

    class Meta:
        verbose_name = "réseau de transport (GTFS)"
        verbose_name_plural = "réseaux de transport (GTFS)"
        ordering = ["name"]

    def __str__(self):
        return self.name


class TransitTime(models.Model):
    """Best door-to-door public transport time between two communes according to one feed's timetable."""

    feed = models.ForeignKey(TransitFeed, on_delete=models.CASCADE, related_name="times")
    origin = models.ForeignKey("territories.Commune", on_delete=models.CASCADE, related_name="+")
    destination = models.ForeignKey("territories.Commune", on_delete=models.CASCADE, related_name="+")
    minutes = models.FloatField()

    class Meta:
        verbose_name = "temps de trajet en transports"
        verbose_name_plural = "temps de trajet en transports"
        constraints = [
            models.UniqueConstraint(fields=["feed", "origin", "destination"], name="unique_transit_time")
        ]

    def __str__(self):
        return f"{self.origin_id} → {self.destination_id}: {self.minutes:.0f} min"
