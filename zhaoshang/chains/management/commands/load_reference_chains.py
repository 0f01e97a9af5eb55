"""``zhaoshang load-reference-chains``: the platform's reference chains into every county that lacks them."""

from django.core.management.base import BaseCommand

from zhaoshang.accounts.models import OrgUnit
from zhaoshang.chains import services


class Command(BaseCommand):
    help = "载入平台参考链图（zhaoshang/chains/data/chains.json）；已有的链不覆盖，除非 --replace"

    def add_arguments(self, parser):
        parser.add_argument("--replace", action="store_true")

    def handle(self, *args, replace=False, **options):
        for root in OrgUnit.objects.filter(parent__isnull=True).order_by("pk"):
            counts = services.load_reference_chains(region=root, replace=replace)
            self.stdout.write(
                f"{root.name}：新建 {counts['created']}，替换 {counts['replaced']}，保留 {counts['kept']}"
            )
