-- Look up watch-list roles against recent activity.
WITH watch(role_name, severity) AS (
  VALUES ('OrganizationAccountAccessRole', 'high'), ('Admin', 'medium')
)
SELECT w.severity, e.eventName, e.eventTime
FROM events e
JOIN watch w ON element_at(e.requestParameters, 'roleName') = w.role_name
WHERE e.eventTime > now() - INTERVAL '1' DAY
