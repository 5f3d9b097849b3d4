"""Writes the JSON Schemas and asyncapi.yaml that are checked in beside the models.

Run ``python -m fours_contracts.generate``; a test fails when the checked-in files drift.
"""

import json
import sys
from pathlib import Path
from typing import Any

import yaml

from fours_contracts.events import ALL_EVENTS, CONSUMERS

ROOT = Path(__file__).resolve().parents[2]


def schema_files() -> dict[str, str]:
    files: dict[str, str] = {}
    for cls in ALL_EVENTS:
        schema = cls.model_json_schema(mode="serialization")
        schema["$id"] = f"urn:fours:event:{cls.event_type}"
        schema["x-topic"] = cls.topic()
        files[f"schemas/{cls.event_type}.json"] = json.dumps(schema, indent=2, sort_keys=True) + "\n"
    files["asyncapi.yaml"] = yaml.safe_dump(asyncapi(), sort_keys=False, allow_unicode=True)
    return files


def asyncapi() -> dict[str, Any]:
    channels: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    messages: dict[str, Any] = {}
    for cls in ALL_EVENTS:
        topic = cls.topic()
        channel = channels.setdefault(topic, {"address": topic, "messages": {}})
        name = cls.event_type.replace(".", "_")
        channel["messages"][name] = {"$ref": f"#/components/messages/{name}"}
        messages[name] = {
            "name": cls.event_type,
            "title": cls.__name__,
            "summary": (cls.__doc__ or "").strip().splitlines()[0],
            "contentType": "application/json",
            "bindings": {"kafka": {"key": {"type": "string", "description": "aggregate id (ce_subject)"}}},
            "headers": {
                "type": "object",
                "required": ["ce_specversion", "ce_id", "ce_source", "ce_type", "ce_time"],
                "properties": {
                    "ce_type": {"const": cls.event_type},
                    "ce_specversion": {"const": "1.0"},
                    "ce_id": {"type": "string"},
                    "ce_source": {"type": "string"},
                    "ce_time": {"type": "string", "format": "date-time"},
                    "ce_subject": {"type": "string"},
                    "ce_correlationid": {"type": "string"},
                    "ce_traceparent": {
                        "type": "string",
                        "description": "W3C Trace Context (CloudEvents distributed-tracing extension)",
                        "pattern": "^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$",
                    },
                    "ce_tracestate": {"type": "string"},
                },
            },
            "payload": {"$ref": f"./schemas/{cls.event_type}.json"},
        }
        op = f"publish_{name}"
        operations[op] = {
            "action": "send",
            "summary": f"{cls.producer} publishes it from its outbox",
            "channel": {"$ref": f"#/channels/{topic}"},
            "messages": [{"$ref": f"#/channels/{topic}/messages/{name}"}],
            "bindings": {"kafka": {"clientId": {"type": "string", "enum": [cls.producer]}}},
        }
    for service, consumed in CONSUMERS.items():
        for cls in consumed:
            topic, name = cls.topic(), cls.event_type.replace(".", "_")
            operations[f"{service}_receives_{name}"] = {
                "action": "receive",
                "summary": f"{service} consumes it, once (its inbox), in its consumer group",
                "channel": {"$ref": f"#/channels/{topic}"},
                "messages": [{"$ref": f"#/channels/{topic}/messages/{name}"}],
                "bindings": {"kafka": {"groupId": {"type": "string", "enum": [service]}}},
            }
    return {
        "asyncapi": "3.1.0",
        "info": {
            "title": "FourS domain events",
            "version": "1.0.0",
            "description": "CloudEvents 1.0 in Kafka binary mode (ce_* headers, JSON data) on one topic per "
            "producing service, keyed by the aggregate; every event is written to its producer's outbox in the "
            "transaction of the change, and every consumer records it in its inbox.",
        },
        "defaultContentType": "application/json",
        "servers": {
            "production": {
                "host": "kafka:9092",
                "protocol": "kafka",
                "description": "Apache Kafka (KRaft): deploy/compose.yaml, or KAFKA_BOOTSTRAP of each service",
            },
            "development": {
                "host": "127.0.0.1:9092",
                "protocol": "kafka",
                "description": "make dev's broker (tansu, in memory); its port is FOURS_BROKER_PORT",
            },
        },
        "channels": channels,
        "operations": operations,
        "components": {"messages": messages},
    }


def main() -> int:
    for rel, text in schema_files().items():
        path = ROOT / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    print(f"wrote {len(ALL_EVENTS)} schemas and asyncapi.yaml under {ROOT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
