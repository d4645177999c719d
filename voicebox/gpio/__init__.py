"""GPIO: the push-to-talk button and the status LED."""
