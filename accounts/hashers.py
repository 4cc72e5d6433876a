"""The password hasher: Argon2id with OWASP's password-storage parameters.

Django's own Argon2 defaults (100 MiB, 8 lanes) cost as much CPU as PBKDF2 with a million
iterations; these cost about a fifteenth of it on our two-core box (README, "Security"), so a
burst of logins no longer holds every web worker. Stored hashes with other parameters, and the
PBKDF2 hashes from before, are rehashed with these at the user's next successful login.
"""

from django.contrib.auth.hashers import Argon2PasswordHasher


class Argon2idPasswordHasher(Argon2PasswordHasher):
    memory_cost = 19 * 1024  # KiB: 19 MiB
    time_cost = 2
    parallelism = 1
