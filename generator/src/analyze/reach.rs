//! Where each named type is used: the directions it travels in and the groups that reach it.
//!
//! Input: an API whose types and operations are final (or, for [`reach`] alone, any API).
//! Output: [`crate::ir::TypeDef::reach`] of every type. A type is sent when a parameter or a request
//! body reaches it, received when a success or error response body, an event's data, a page's
//! records or a webhook delivery reaches it, following every reference a definition makes
//! ([`crate::ir::TypeKind::type_refs`]: fields, extra properties, list items, map values, union
//! variants, aliases, newtypes, page records). One walk per group and direction, each linear
//! in the types it visits.

use crate::ir::{Api, Reach, TypeRef};

/// Sets [`crate::ir::TypeDef::reach`] of every type.
pub fn mark_reach(api: &mut Api) {
    let reach = reach(api);
    for (def, reach) in api.types.iter_mut().zip(reach) {
        def.reach = reach;
    }
}

/// Where each type of `api` is used, by type id.
pub fn reach(api: &Api) -> Vec<Reach> {
    let mut reach = vec![Reach::default(); api.types.len()];
    for (index, group) in api.groups.iter().enumerate() {
        let ops = &group.operations;
        let sent = reachable(api, ops.iter().flat_map(|op| op.request_type_refs()));
        let received = reachable(api, ops.iter().flat_map(|op| op.response_type_refs()));
        for ((reach, sent), received) in reach.iter_mut().zip(sent).zip(received) {
            reach.request |= sent;
            reach.response |= received;
            if sent || received {
                reach.groups.push(index);
            }
        }
    }
    if let Some(webhooks) = &api.webhooks {
        let envelope = TypeRef::Named(webhooks.envelope);
        for (reach, received) in reach.iter_mut().zip(reachable(api, std::iter::once(&envelope))) {
            reach.response |= received;
        }
    }
    let unreached: Vec<TypeRef> = (0..api.types.len())
        .filter(|&id| !reach[id].request && !reach[id].response)
        .map(|id| TypeRef::Named(crate::ir::TypeId(id)))
        .collect();
    for (reach, standalone) in reach.iter_mut().zip(reachable(api, &unreached)) {
        reach.standalone = standalone;
    }
    reach
}

/// Which types the given type expressions reach, by type id.
fn reachable<'a>(api: &'a Api, roots: impl IntoIterator<Item = &'a TypeRef>) -> Vec<bool> {
    let mut seen = vec![false; api.types.len()];
    let mut stack: Vec<&TypeRef> = roots.into_iter().collect();
    while let Some(ty) = stack.pop() {
        let Some((id, _)) = ty.named() else { continue };
        let Some(visited) = seen.get_mut(id.0) else { continue };
        if std::mem::replace(visited, true) {
            continue;
        }
        if let Some(def) = api.types.get(id.0) {
            stack.extend(def.kind.type_refs().into_iter().map(|(ty, _)| ty));
        }
    }
    seen
}

#[cfg(test)]
mod tests {
    use crate::ir::{Api, Reach};

    const SPEC: &str = r#"
openapi: 3.0.3
info: {title: T, version: '1'}
paths:
  /chats:
    post:
      tags: [chats]
      operationId: createChat
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/NewChat'}
      responses:
        '201':
          description: created
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Chat'}
        '400':
          description: bad
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Problem'}
  /users:
    get:
      tags: [users]
      operationId: listUsers
      parameters:
        - {name: role, in: query, schema: {$ref: '#/components/schemas/Role'}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: array
                items: {$ref: '#/components/schemas/User'}
components:
  schemas:
    NewChat:
      type: object
      properties:
        owner: {$ref: '#/components/schemas/User'}
        tags: {type: object, additionalProperties: {$ref: '#/components/schemas/Tag'}}
    Chat:
      type: object
      properties:
        members: {type: array, items: {$ref: '#/components/schemas/Member'}}
    Member:
      oneOf:
        - {$ref: '#/components/schemas/User'}
        - {$ref: '#/components/schemas/Bot'}
    User:
      type: object
      properties:
        role: {$ref: '#/components/schemas/Role'}
    Bot: {type: object, properties: {name: {type: string}}}
    Tag: {type: string, enum: [a, b]}
    Role: {type: string, enum: [admin, member]}
    Problem: {type: object, properties: {detail: {type: string}}}
    Unused: {type: object, properties: {x: {type: string}, bot: {$ref: '#/components/schemas/Bot'}}}
"#;

    fn reach_of(api: &Api, name: &str) -> Reach {
        api.types.iter().find(|def| def.name == name).map(|def| def.reach.clone()).expect(name)
    }

    fn reach(request: bool, response: bool, groups: &[usize]) -> Reach {
        Reach { request, response, groups: groups.to_vec(), standalone: false }
    }

    #[test]
    fn directions_and_groups_follow_fields_items_maps_and_variants() {
        let (api, _) = crate::build_ir(SPEC, "openapi.yaml").unwrap();
        let chats = api.groups.iter().position(|g| g.accessor == "chats").unwrap();
        let users = api.groups.iter().position(|g| g.accessor == "users").unwrap();
        assert_eq!(reach_of(&api, "NewChat"), reach(true, false, &[chats]));
        // A map value of a request body.
        assert_eq!(reach_of(&api, "Tag"), reach(true, false, &[chats]));
        // A list item, then a union variant, of a success body (and a field of `Unused`).
        assert_eq!(reach_of(&api, "Bot"), Reach { standalone: true, ..reach(false, true, &[chats]) });
        // An error body is received too.
        assert_eq!(reach_of(&api, "Problem"), reach(false, true, &[chats]));
        // Sent in one group's request body, received in both groups' responses.
        assert_eq!(reach_of(&api, "User"), reach(true, true, &[chats.min(users), chats.max(users)]));
        // A query parameter, and a field of what both groups send or receive.
        assert_eq!(reach_of(&api, "Role"), reach(true, true, &[chats.min(users), chats.max(users)]));
        assert_eq!(reach_of(&api, "Unused"), Reach { standalone: true, ..Reach::default() });
        assert_eq!(reach_of(&api, "Unused").serde(), crate::ir::SerdeTraits::BOTH);
        // Received by an operation, and a field of a type nothing reaches: both traits.
        let bot = reach_of(&api, "Bot");
        assert!(bot.standalone && bot.response && !bot.request, "{bot:?}");
        assert_eq!(bot.serde(), crate::ir::SerdeTraits::BOTH);
        assert_eq!(
            reach_of(&api, "Problem").serde(),
            crate::ir::SerdeTraits { serialize: false, deserialize: true }
        );
        assert_eq!(
            reach_of(&api, "NewChat").serde(),
            crate::ir::SerdeTraits { serialize: true, deserialize: false }
        );
    }
}
