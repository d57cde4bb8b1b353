"""Every limit the emulator enforces, in one table, with where Discord states it.

Sources: Discord's developer documentation (docs.discord.com/developers: Message, Embed,
Components, Application Commands, Interactions, Rate Limits and Gateway pages) unless a row says
"observed": Discord deliberately leaves per-route rate limits undocumented ("should not be hard
coded") and returns them in X-RateLimit-* headers; the observed rows are the bucket sizes those
headers commonly return. Tests may raise any of them on one emulator (`Emulator.limits`).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace


@dataclass(frozen=True)
class RateLimit:
    """`limit` requests per `per` seconds."""

    limit: int
    per: float


# Per-route buckets, keyed "METHOD /path/{param}" and counted per major parameter (channel, guild,
# webhook). Observed values; routes not listed only count towards the global limit.
DEFAULT_ROUTE_LIMITS: dict[str, RateLimit] = {
    "POST /channels/{channel_id}/messages": RateLimit(5, 5.0),
    "PATCH /channels/{channel_id}/messages/{message_id}": RateLimit(5, 5.0),
    "DELETE /channels/{channel_id}/messages/{message_id}": RateLimit(5, 1.0),
    "POST /channels/{channel_id}/threads": RateLimit(5, 5.0),
    "POST /webhooks/{webhook_id}/{token}": RateLimit(5, 2.0),
    "PATCH /webhooks/{webhook_id}/{token}/messages/{message_id}": RateLimit(5, 2.0),
}


@dataclass
class Limits:
    """One emulator's limits; `Limits()` is Discord's defaults."""

    # ----- messages (Message and Embed pages) -----
    content: int = 2000
    embeds: int = 10
    embed_title: int = 256
    embed_description: int = 4096
    embed_fields: int = 25
    embed_field_name: int = 256
    embed_field_value: int = 1024
    embed_footer_text: int = 2048
    embed_author_name: int = 256
    embed_total: int = 6000  # title + description + field names and values + footer text + author name
    allowed_mentions_ids: int = 100
    nonce: int = 25
    # ----- components (Components page) -----
    action_rows: int = 5  # legacy (non-Components-V2) messages
    components_v2_total: int = 40
    buttons_per_row: int = 5
    button_label: int = 80
    custom_id: int = 100
    select_options: int = 25
    select_option_label: int = 100
    select_option_value: int = 100
    select_option_description: int = 100
    select_placeholder: int = 150
    select_max_values: int = 25
    text_input_label: int = 45
    text_input_value: int = 4000
    text_input_placeholder: int = 100
    label_description: int = 100
    modal_title: int = 45
    modal_components: int = 5
    # ----- attachments (Uploading Files page; a bot's default upload limit) -----
    attachments: int = 10
    upload_bytes: int = 10 * 1024 * 1024
    # With enforce_nonce, Discord returns the earlier message "within a few minutes" (not documented exactly).
    nonce_window_seconds: float = 180.0
    # ----- application commands (Application Commands page) -----
    chat_input_commands: int = 100
    user_commands: int = 15
    message_commands: int = 15
    command_name: int = 32
    command_description: int = 100
    command_options: int = 25
    command_choices: int = 25
    choice_name: int = 100
    choice_string_value: int = 100
    option_max_length: int = 6000
    command_total: int = 8000  # names, descriptions and choice names/values of one command
    # ----- interactions (Interactions page) -----
    initial_response_seconds: float = 3.0
    token_lifetime_seconds: float = 15 * 60.0
    autocomplete_choices: int = 25
    # ----- rate limits (Rate Limits page; routes "observed") -----
    global_rate: RateLimit | None = RateLimit(50, 1.0)
    route_rates: dict[str, RateLimit] = field(default_factory=lambda: dict(DEFAULT_ROUTE_LIMITS))
    invalid_requests: int = 10_000  # 401, 403 and 429 (except X-RateLimit-Scope: shared) ...
    invalid_requests_window: float = 600.0  # ... per 10 minutes, or a temporary ban
    # ----- gateway (Gateway page) -----
    gateway_sends: RateLimit = RateLimit(120, 60.0)  # per connection
    heartbeat_interval_ms: int = 41250
    replay_events: int = 1000  # events a session keeps for RESUME (emulator's own bound)

    def copy(self, **changes: object) -> Limits:
        return replace(self, route_rates=dict(self.route_rates), **changes)  # type: ignore[arg-type]
