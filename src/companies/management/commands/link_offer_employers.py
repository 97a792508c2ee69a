from django.core.management import BaseCommand

from companies.services import link_offers_to_establishments
from offers.models import Offer


class Command(BaseCommand):
    help = "Link the employers of the pool's open offers to establishments of the register (SIRET, else name + commune)."

    def handle(self, *args, **options):
        counts = link_offers_to_establishments(
            offers=Offer.objects.filter(status=Offer.Status.OPEN).iterator()
        )
        self.stdout.write(", ".join(f"{name}: {count}" for name, count in counts.items()))
