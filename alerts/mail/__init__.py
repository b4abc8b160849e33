"""Flag emails to principals and operational emails to district IT (`tapwatch mail run`)."""
