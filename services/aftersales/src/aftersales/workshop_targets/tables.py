from sqlalchemy import Column, DateTime, Integer, Numeric, Table, Text, func

from aftersales.tables import metadata

workshop_targets = Table(
    "workshop_targets",
    metadata,
    Column("year", Integer, primary_key=True, autoincrement=False),
    Column("routine", Numeric(14, 2), nullable=False, comment="日常维修(含保修): the year's routine output"),
    Column("accident", Numeric(14, 2), nullable=False, comment="事故车: the year's accident output"),
    Column("stretch_routine", Numeric(14, 2), nullable=False),
    Column("stretch_accident", Numeric(14, 2), nullable=False),
    Column("csi", Numeric(6, 1), nullable=False, comment="on the 1000-point scale"),
    Column("survey", Numeric(5, 1), nullable=False, comment="the ten-item survey, on its 100-point scale"),
    Column("updated_by", Text, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)
