"""Question → evidence → claims → Answer: the answer engine, independent of Telegram and of the command line."""
