"""Plumbing every FourS service uses: one implementation of each, so services hold only their domain."""
