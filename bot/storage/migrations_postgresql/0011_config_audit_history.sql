-- PostgreSQL twin of migrations/0011_config_audit_history.sql (the same SQL: both dialects speak it).
-- /config history reads the audit trail by setting, newest first.
CREATE INDEX config_audit_by_setting ON config_audit (guild_id, setting, id);

-- Setting values in the trail become JSON (what the setting held), so the history can say them in
-- words ("✅ On", "6 hours", "#mods"). Earlier rows were written as Python text: True, 6.0, reply,
-- "1, 2", "none", "not set". The prompt of the day and server resources keep their text.
UPDATE config_audit SET old_value = CASE
        WHEN old_value IS NULL OR old_value = 'not set' THEN NULL
        WHEN setting IN ('safety_enabled', 'alert_all_events') THEN lower(old_value)
        WHEN setting IN ('safety_mode', 'region') THEN '"' || old_value || '"'
        WHEN setting IN ('exempt_channel_ids', 'exempt_role_ids') THEN
            CASE old_value WHEN 'none' THEN '[]' ELSE '[' || old_value || ']' END
        ELSE old_value
    END,
    new_value = CASE
        WHEN new_value IS NULL OR new_value = 'not set' THEN NULL
        WHEN setting IN ('safety_enabled', 'alert_all_events') THEN lower(new_value)
        WHEN setting IN ('safety_mode', 'region') THEN '"' || new_value || '"'
        WHEN setting IN ('exempt_channel_ids', 'exempt_role_ids') THEN
            CASE new_value WHEN 'none' THEN '[]' ELSE '[' || new_value || ']' END
        ELSE new_value
    END
WHERE setting IN (
    'safety_enabled', 'safety_mode', 'safety_cooldown_hours', 'alert_channel_id', 'responder_role_id',
    'alert_all_events', 'region', 'exempt_channel_ids', 'exempt_role_ids'
);
