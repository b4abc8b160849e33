"""Pure detection logic: a post and its district context in, findings out."""
