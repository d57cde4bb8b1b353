"""Storage: one database, numbered SQL migrations, small repositories, and one way to forget."""

from __future__ import annotations

from bot.storage.checkins import CheckIns
from bot.storage.config_audit import ConfigAudit
from bot.storage.daily import DailySubscriptions
from bot.storage.database import Database, StorageError, storage_failures
from bot.storage.forget import Forgetter
from bot.storage.guild_resources import GuildResources
from bot.storage.guild_settings import GuildSettings, GuildSettingsRepository
from bot.storage.members import MemberSettings, PromptRotation
from bot.storage.no_contact import NoContactRuns
from bot.storage.pauses import Pauses
from bot.storage.prompt_channels import PromptChannels
from bot.storage.safety_alerts import SafetyAlerts
from bot.storage.safety_insights import SafetyInsights
from bot.storage.safety_records import SafetyCooldowns, SafetyOptOuts


class Stores:
    """Every repository over one database. Each is a store of member or server data, so each is
    listed in `forget`: adding a repository here is what puts it under `/privacy delete`."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.guild_settings = GuildSettingsRepository(db)
        self.prompt_rotation = PromptRotation(db)
        self.member_settings = MemberSettings(db)
        self.safety_cooldowns = SafetyCooldowns(db)
        self.safety_opt_outs = SafetyOptOuts(db)
        self.daily = DailySubscriptions(db)
        self.guild_resources = GuildResources(db)
        self.prompt_channels = PromptChannels(db)
        self.config_audit = ConfigAudit(db)
        self.safety_alerts = SafetyAlerts(db)
        self.safety_insights = SafetyInsights(db)
        self.pauses = Pauses(db)
        self.no_contact = NoContactRuns(db)
        self.checkins = CheckIns(db)
        self.forget = Forgetter(
            db,
            [
                self.guild_settings,
                self.prompt_rotation,
                self.member_settings,
                self.safety_cooldowns,
                self.safety_opt_outs,
                self.daily,
                self.guild_resources,
                self.prompt_channels,
                self.config_audit,
                self.safety_alerts,
                self.safety_insights,
                self.pauses,
                self.no_contact,
                self.checkins,
            ],
        )


__all__ = ["Database", "GuildSettings", "GuildSettingsRepository", "StorageError", "Stores", "storage_failures"]
