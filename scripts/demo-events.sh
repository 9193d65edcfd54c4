#!/usr/bin/env bash
# Sends a handful of realistic events to a running server (for screenshots and trying things out).
# usage: scripts/demo-events.sh BASE_URL API_KEY
set -euo pipefail
base="$1"; key="$2"
post() { curl -sf -X POST "$base/api/v1/log" -H "Authorization: Bearer $key" -H 'Content-Type: application/json' -d "$1" >/dev/null; }
post '{"name":"Deploy started","avatar":"🚀","category":"deploys","contextId":"deploy-1042","contextStart":true,"content":"v2.14.0 → production by @maria"}'
post '{"name":"Migrations ran","avatar":"🗃️","category":"deploys","contextId":"deploy-1042","content":"3 migrations in 1.2 s"}'
post '{"name":"Deploy finished","avatar":"✅","category":"deploys","contextId":"deploy-1042","content":"Healthy after 2 min 10 s"}'
post '{"name":"Webhook from Stripe","avatar":"🧾","category":"billing","type":"json","content":{"id":"evt_1Q2","type":"invoice.paid","data":{"amount":4200,"currency":"eur","customer":"cus_9f2"}}}'
post '{"name":"New signup","avatar":"🎉","category":"signups","userId":"u_4821","content":"jane@acme.io signed up on the Pro plan\nReferrer: https://news.ycombinator.com"}'
post '{"name":"Payment failed","avatar":"💳","category":"billing","type":"rows","userId":"u_1207","content":[{"label":"amount","content":"129.00 EUR"},{"label":"customer","content":"cus_81d · Northwind"},{"label":"reason","content":"card_declined (insufficient funds)"}]}'
curl -sf -X POST "$base/api/v1/log" -H "Authorization: Bearer $key" -H 'Content-Type: text/plain' --data '🚨 Login from a new device: Lisbon, PT' >/dev/null
