class AlreadyVoted(Exception):
    """This browser session already said whether the article was helpful."""
