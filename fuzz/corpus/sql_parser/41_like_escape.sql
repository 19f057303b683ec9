SELECT eventName, element_at(requestParameters, 'roleName') AS role
FROM events
WHERE element_at(requestParameters, 'roleName') LIKE 'admin\_%' ESCAPE '\'
   OR element_at(requestParameters, 'roleName') LIKE '%!%%' ESCAPE '!'
