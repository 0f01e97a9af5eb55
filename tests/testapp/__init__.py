"""A minimal business app used only by the tests: it exercises the platform's shared machinery
(data scope, generic pages, API conventions, change log) the way every real app uses it."""
