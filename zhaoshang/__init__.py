"""智慧招商平台: the investment promotion platform."""
