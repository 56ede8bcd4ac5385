from .dictionary import *  # noqa: F401,F403
