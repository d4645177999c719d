"""The conductor: the turn pipeline that joins the engines with bounded queues."""
