-- Ingress rules opened to the whole internet.
SELECT eventTime, userIdentity.arn, element_at(requestParameters, 'groupId') AS group_id,
       element_at(requestParameters, 'ipPermissions') AS permissions
FROM events
WHERE eventName = 'AuthorizeSecurityGroupIngress'
  AND (strpos(element_at(requestParameters, 'ipPermissions'), '0.0.0.0/0') > 0
       OR strpos(element_at(requestParameters, 'ipPermissions'), '::/0') > 0)
