import Foundation

/// The starting scenario `costplan init NAME` writes: one workload and a few options across the services, at
/// scales 1, 10 and 100, that prices with the shipped rate tables. JSON has no comments, so the guidance is in
/// `notes`, which the report prints under Assumptions until the user replaces it with their own.
public enum ScenarioTemplate {
  /// Where a file in `scenarios/` finds the committed schema (`schemas/scenario.schema.json`).
  public static let schemaReference = "../schemas/scenario.schema.json"

  /// The file for a scenario called `name` (a name `Scenario.isValidName` accepts, so it needs no escaping).
  public static func text(name: String) -> String {
    precondition(Scenario.isValidName(name), "not a scenario name: \(name)")
    return #"""
      {
        "$schema": "\#(schemaReference)",
        "version": 1,
        "name": "\#(name)",
        "title": "\#(name)",
        "source": "The document this scenario models: a design note, a ticket, last month's metrics",
        "notes": [
          "Written by costplan init: every figure below is a placeholder. Replace each with your own and say here where it comes from; the report prints these notes under Assumptions.",
          "workload: an entity groups records (a conversation, a session, a cart), a record is one append to it (a message, an event). entitiesPerMonth is the traffic at scale 1, and each of scales multiplies it.",
          "A figure you can only guess may be a range {\"low\": a, \"high\": b}, a the P10 and b the P90; point results use its median.",
          "options: one storage choice each, a service and its settings; a setting left out takes its default, and the report lists the defaults used. docs/scenarios.md describes every field.",
          "Check the file with costplan lint, and price it with costplan compare --scenario \#(name)."
        ],
        "provider": "aws",
        "region": "us-east-1",
        "scales": [1, 10, 100],
        "horizonMonths": 12,
        "workload": {
          "entity": "session",
          "record": "event",
          "entitiesPerMonth": 2000,
          "recordsPerEntity": 12,
          "recordBytes": 1500,
          "keyBytes": 64,
          "loadsPerRecord": 1,
          "loadsPerEntity": 2,
          "entityLifetimeMinutes": 20,
          "peakToAverage": 3,
          "retentionDays": 30
        },
        "options": [
          { "id": "s3", "service": "s3", "layout": "object-per-entity" },
          { "id": "dynamodb", "service": "dynamodb", "layout": "item-per-record", "capacity": "on-demand" },
          { "id": "elasticache-serverless", "service": "elasticache", "mode": "serverless", "engine": "valkey" },
          { "id": "aurora", "service": "aurora-serverless-v2", "minACU": 0.5, "maxACU": 16 }
        ]
      }

      """#
  }
}
