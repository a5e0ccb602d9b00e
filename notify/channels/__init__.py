"""Delivery channels, one module each; ``build_channel`` makes one from its configuration."""

from __future__ import annotations

from typing import Any

from notify.channels.alertmanager import AlertmanagerChannel
from notify.channels.base import Channel, DeliveringChannel, Delivery, DeliveryError, ErrorCallback
from notify.channels.email import EmailChannel
from notify.channels.slack import SlackChannel
from notify.channels.webhook import WebhookChannel
from notify.config import ChannelConfig

CHANNEL_CLASSES: dict[str, type[DeliveringChannel]] = {
    "webhook": WebhookChannel,
    "alertmanager": AlertmanagerChannel,
    "slack": SlackChannel,
    "email": EmailChannel,
}


def build_channel(config: ChannelConfig, on_error: ErrorCallback, **kwargs: Any) -> DeliveringChannel:
    return CHANNEL_CLASSES[config.kind](config, on_error, **kwargs)


__all__ = ["CHANNEL_CLASSES", "Channel", "DeliveringChannel", "Delivery", "DeliveryError", "build_channel"]
