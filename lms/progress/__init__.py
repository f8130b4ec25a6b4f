"""Progress: learning recorded as xAPI statements in the LRS (the source of truth), and the
projections made from them (hours, unit status, credits; issue "progress" builds those)."""
