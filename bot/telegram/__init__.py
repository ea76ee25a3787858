"""The Telegram bot on python-telegram-bot: application, handlers, HTML views, the state it keeps."""
