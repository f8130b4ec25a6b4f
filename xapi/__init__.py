"""xapi: Pathway's standalone xAPI Learning Record Store (issue 3 builds it here).

It will import nothing from `lms` or `activities`."""
