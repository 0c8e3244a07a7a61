"""The soak (``make reliability``, not ``make test``): each worker of the soak starts its own simulator."""
