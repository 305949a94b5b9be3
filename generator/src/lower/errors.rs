//! Error responses: each operation's documented non-2xx responses, and the names of its error
//! enum and of the enum's variants.

use openapiv3::StatusCode;

use crate::ir::{ErrorResponse, Operation, StatusMatch};
use crate::names::{self, Case, Claim, Namespace, Order};
use crate::pointer::JsonPointer;

use super::context::Context;
use super::media::is_json;
use super::refs::Node;

impl<'a> Context<'a> {
    /// The documented non-2xx responses: status, JSON body type and description.
    pub(super) fn error_responses(
        &mut self,
        operation: &'a openapiv3::Operation,
        at: &JsonPointer,
        type_hint: &str,
    ) -> Vec<ErrorResponse> {
        let responses = &operation.responses;
        let listed = responses
            .responses
            .iter()
            .filter(|(code, _)| match code {
                StatusCode::Code(code) => !(100..300).contains(code),
                StatusCode::Range(range) => *range >= 3,
            })
            .map(|(code, response)| {
                let statuses = match code {
                    StatusCode::Code(code) => StatusMatch::Code(*code),
                    StatusCode::Range(range) => StatusMatch::Range(*range),
                };
                (code.to_string(), statuses, response)
            })
            .chain(
                responses
                    .default
                    .iter()
                    .map(|response| ("default".to_owned(), StatusMatch::Default, response)),
            );
        let mut errors = Vec::new();
        for (status, statuses, response) in listed {
            let pointer = at.push("responses").push(&status);
            let Some((response, response_at)) =
                self.component(response, pointer, "responses", |c| &c.responses)
            else {
                continue;
            };
            let json = response.content.iter().find(|(media, _)| is_json(media));
            let ty = json.and_then(|(media, content)| {
                let schema = content.schema.as_ref()?;
                let schema_at = response_at.push("content").push(media).push("schema");
                let hint = format!("{type_hint}Error{}", names::type_name(&status, "Status"));
                Some(self.lower_node(Node::from(schema), &schema_at, &hint).ty)
            });
            let description = Some(response.description.clone()).filter(|d| !d.trim().is_empty());
            errors.push(ErrorResponse { status, statuses, ty, description, variant: None });
        }
        self.name_error_variants(&mut errors);
        errors
    }

    /// Names the variants of an operation's error enum after their statuses: the reason phrase
    /// (`NotFound`), the class (`ClientError` for `4XX`), `Default`, or `Status499` for a status
    /// with no standard phrase. `Other` is kept for what matches none of them.
    pub(super) fn name_error_variants(&self, errors: &mut [ErrorResponse]) {
        let typed: Vec<usize> = (0..errors.len()).filter(|&i| errors[i].ty.is_some()).collect();
        let claims: Vec<Claim> = typed
            .iter()
            .map(|&i| {
                let rust = match errors[i].statuses {
                    StatusMatch::Code(code) => http::StatusCode::from_u16(code)
                        .ok()
                        .and_then(|status| status.canonical_reason())
                        .map(|reason| names::type_name(&reason.replace('\'', ""), "Status"))
                        .unwrap_or_else(|| format!("Status{code}")),
                    StatusMatch::Range(4) => "ClientError".to_owned(),
                    StatusMatch::Range(5) => "ServerError".to_owned(),
                    StatusMatch::Range(class) => format!("Status{class}xx"),
                    StatusMatch::Default => "Default".to_owned(),
                };
                Claim::first(errors[i].status.clone(), rust)
            })
            .collect();
        let mut namespace = Namespace::reserving(Case::Type, &["Other"]);
        let (variants, _) = self.settle(&mut namespace, &claims, Order::Wire);
        for (index, variant) in typed.into_iter().zip(variants) {
            errors[index].variant = Some(variant);
        }
    }

    /// Names the types an operation declares in its group's module, whose struct is `group_type`:
    /// the error enum after the method (`remove_participant` gives `RemoveParticipantError`,
    /// `r#type` gives `TypeError`) and the marker of a call with optional parameters after the
    /// method alone (`ListForRepo`). Both share one namespace, error enums named first.
    pub(super) fn name_group_types<'o>(
        &self,
        operations: impl Iterator<Item = &'o mut Operation>,
        group_type: &str,
    ) {
        let mut operations: Vec<&mut Operation> = operations.collect();
        let method = |op: &Operation| names::unraw(&op.method_name).trim_end_matches('_').to_owned();
        let typed: Vec<usize> = (0..operations.len())
            .filter(|&i| operations[i].errors.iter().any(|e| e.variant.is_some()))
            .collect();
        let marked: Vec<usize> =
            (0..operations.len()).filter(|&i| operations[i].optional_params().next().is_some()).collect();
        let mut claims: Vec<Claim> = typed
            .iter()
            .map(|&i| {
                let rust = names::type_name(&format!("{} error", method(operations[i])), "CallError");
                Claim::first(operations[i].method_name.clone(), rust)
            })
            .collect();
        // The markers yield to every error enum, so that an error enum keeps its name.
        claims.extend(marked.iter().map(|&i| {
            Claim::then(operations[i].method_name.clone(), names::type_name(&method(operations[i]), "Call"))
        }));
        // The module's code names the prelude's types unqualified (`Option<&T>` for an optional
        // body), so none of them may be declared there.
        let taken = [group_type, "Box", "Option", "Result", "String", "Vec"];
        let (chosen, _) = self.settle(&mut Namespace::reserving(Case::Type, &taken), &claims, Order::Wire);
        let (enums, markers) = chosen.split_at(typed.len());
        for (&i, name) in typed.iter().zip(enums) {
            operations[i].error_enum = Some(name.clone());
        }
        for (&i, name) in marked.iter().zip(markers) {
            operations[i].options = Some(name.clone());
        }
    }
}
