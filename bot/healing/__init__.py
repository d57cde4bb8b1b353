"""Tools for a member's own healing (#17): a pause at the moment of the urge, a private no-contact
count, and check-ins over time. The decisions and words live here; cogs/pause.py, cogs/nocontact.py
and cogs/checkin.py turn them into Discord messages.

Nothing a member writes is kept: the stores hold instants, dates, numbers and feeling ids only.
"""
