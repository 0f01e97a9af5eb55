from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "zhaoshang.reviews"
    label = "reviews"
    verbose_name = "项目研判"

    def ready(self) -> None:
        from zhaoshang.projects import signals  # deferred: apps are loaded before signals connect

        from .services.decisions import place_conditions  # deferred: services import models

        signals.stage_opened.connect(place_conditions, dispatch_uid="reviews.place_conditions")
