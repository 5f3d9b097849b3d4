from sqlalchemy import Column, Date, DateTime, Index, Numeric, Table, Text, func

from marketing.tables import metadata

ads = Table(
    "ads",
    metadata,
    Column("id", Text, primary_key=True),
    Column("title", Text, nullable=False),
    Column("medium", Text, nullable=False),
    Column("purpose", Text, nullable=False),
    Column("nature", Text, nullable=False),
    Column("outlet", Text, nullable=False, comment="the newspaper, station, portal or site"),
    Column("start_date", Date, nullable=False),
    Column("end_date", Date, nullable=False),
    Column("cost", Numeric(14, 2), nullable=False),
    Column("campaign_code", Text),
    Column("created_by", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)
Index("ads_by_start", ads.c.start_date)

soft_articles = Table(
    "soft_articles",
    metadata,
    Column("id", Text, primary_key=True),
    Column("portal", Text, nullable=False),
    Column("title", Text, nullable=False),
    Column("url", Text),
    Column("published_on", Date, nullable=False),
    Column("campaign_code", Text),
    Column("created_by", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)
Index("soft_articles_by_portal_day", soft_articles.c.portal, soft_articles.c.published_on)
