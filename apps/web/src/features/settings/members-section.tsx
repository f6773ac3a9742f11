"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { UserPlus } from "lucide-react";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { LocalTime } from "@/components/ui/local-time";
import { Select } from "@/components/ui/select";
import { fieldError, formError, fromTRPCError } from "@/features/forms/server-error";
import type { WorkspaceRole } from "@/features/workspaces/get-workspace";
import { useTRPC, type RouterOutputs } from "@/trpc/client";
import { grantableRoles, roleLabel } from "./roles";
import { TableHead } from "@/components/ui/table-head";

type Member = RouterOutputs["members"]["list"][number];

export function MembersSection({
  workspaceId,
  workspaceName,
  currentUserId,
  role,
  initialMembers,
}: {
  workspaceId: string;
  workspaceName: string;
  currentUserId: string;
  role: WorkspaceRole;
  initialMembers: Member[];
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const canManage = role === "owner" || role === "admin";
  const members = useQuery(trpc.members.list.queryOptions({ workspaceId }, { initialData: initialMembers }));
  const [removing, setRemoving] = useState<Member | null>(null);

  const invalidate = () => queryClient.invalidateQueries({ queryKey: trpc.members.list.queryKey({ workspaceId }) });
  const updateRole = useMutation(
    trpc.members.updateRole.mutationOptions({
      onSuccess: async (result) => {
        await invalidate();
        if (result.userId === currentUserId) router.refresh(); // your own role changed what you may do
      },
    }),
  );
  const remove = useMutation(
    trpc.members.remove.mutationOptions({
      onSuccess: async (result) => {
        setRemoving(null);
        if (result.userId === currentUserId) {
          await queryClient.invalidateQueries({ queryKey: trpc.workspaces.list.queryKey() });
          router.push("/");
          router.refresh();
          return;
        }
        await invalidate();
      },
    }),
  );
  const roleError = fromTRPCError(updateRole.error);
  const leaving = removing?.userId === currentUserId;

  return (
    <Card id="members" aria-labelledby="members-title" className="scroll-mt-6">
      <CardHeader>
        <CardTitle id="members-title">Members</CardTitle>
        <CardDescription>
          Viewers read; members also edit and run flows; admins also manage connections, API keys and members.
        </CardDescription>
      </CardHeader>
      {canManage ? (
        <CardContent className="border-b border-border">
          <InviteMemberForm workspaceId={workspaceId} role={role} onInvited={invalidate} />
        </CardContent>
      ) : null}
      <div className="flex flex-col gap-3">
        {roleError ? (
          <Alert variant="error" className="mx-5 mt-4">
            {roleError.message}
          </Alert>
        ) : null}
        <div className="relative overflow-x-auto">
          <table className="w-full text-sm">
            <caption className="sr-only">Members of {workspaceName}</caption>
            <TableHead columns={["Member", "Role", "Joined", { label: "Actions", hidden: true }]} rowClassName="border-b border-border" cellClassName="px-5 py-2.5" />
            <tbody className="divide-y divide-border">
              {members.data.map((member) => {
                const isSelf = member.userId === currentUserId;
                // Owners alone change or remove owners (the API enforces the same).
                const mayTouch = canManage && (member.role !== "owner" || role === "owner");
                const rowPending = updateRole.isPending && updateRole.variables?.userId === member.userId;
                return (
                  <tr key={member.userId}>
                    <th scope="row" className="px-5 py-3 text-left font-normal">
                      <span className="block font-medium">
                        {member.name}
                        {isSelf ? <span className="font-normal text-muted-foreground"> (you)</span> : null}
                      </span>
                      <span className="block text-xs text-muted-foreground">{member.email}</span>
                    </th>
                    <td className="px-5 py-3">
                      {mayTouch ? (
                        <>
                          <label htmlFor={`role-${member.userId}`} className="sr-only">
                            Role of {member.name}
                          </label>
                          <Select
                            id={`role-${member.userId}`}
                            className="w-32"
                            value={member.role}
                            disabled={rowPending}
                            onChange={(event) =>
                              updateRole.mutate({ workspaceId, userId: member.userId, role: event.target.value as WorkspaceRole })
                            }
                          >
                            {grantableRoles(role).map((option) => (
                              <option key={option.value} value={option.value}>
                                {option.label}
                              </option>
                            ))}
                          </Select>
                        </>
                      ) : (
                        <Badge variant={member.role === "owner" ? "neutral" : "outline"}>{roleLabel(member.role)}</Badge>
                      )}
                    </td>
                    <td className="px-5 py-3 whitespace-nowrap text-muted-foreground">
                      <LocalTime value={member.joinedAt} />
                    </td>
                    <td className="px-5 py-3 text-right">
                      {isSelf || mayTouch ? (
                        <Button
                          type="button"
                          size="sm"
                          variant={isSelf ? "outline" : "ghost"}
                          className={isSelf ? undefined : "text-destructive"}
                          onClick={() => {
                            remove.reset();
                            setRemoving(member);
                          }}
                        >
                          {isSelf ? "Leave" : "Remove"}
                          {isSelf ? null : <span className="sr-only"> {member.name}</span>}
                        </Button>
                      ) : null}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      </div>
      <ConfirmDialog
        open={removing !== null}
        onClose={() => setRemoving(null)}
        title={leaving ? `Leave ${workspaceName}?` : `Remove ${removing?.name ?? "member"}?`}
        description={
          leaving
            ? "You lose access to its flows, runs and settings until an admin adds you again."
            : `${removing?.email ?? "They"} will lose access to this workspace. API keys stay valid; revoke them separately.`
        }
        confirmLabel={leaving ? "Leave workspace" : "Remove member"}
        pending={remove.isPending}
        error={fromTRPCError(remove.error)?.message}
        onConfirm={() => {
          if (removing) remove.mutate({ workspaceId, userId: removing.userId });
        }}
      />
    </Card>
  );
}

function InviteMemberForm({ workspaceId, role, onInvited }: { workspaceId: string; role: WorkspaceRole; onInvited: () => Promise<void> }) {
  const trpc = useTRPC();
  const [email, setEmail] = useState("");
  const [newRole, setNewRole] = useState<WorkspaceRole>("member");
  const [added, setAdded] = useState<string | null>(null);
  const invite = useMutation(
    trpc.members.invite.mutationOptions({
      onSuccess: async (member) => {
        setEmail("");
        setAdded(`${member.name} was added as ${roleLabel(member.role).toLowerCase()}.`);
        await onInvited();
      },
    }),
  );
  const error = fromTRPCError(invite.error);
  const topError = formError(error, ["email", "role"]);
  return (
    <form
      noValidate
      className="flex flex-col gap-3"
      onSubmit={(event) => {
        event.preventDefault();
        setAdded(null);
        invite.mutate({ workspaceId, email, role: newRole });
      }}
    >
      <h3 className="text-sm font-medium">Add a member</h3>
      {topError ? <Alert variant="error">{topError}</Alert> : null}
      <div className="flex flex-col gap-3 sm:flex-row sm:items-start">
        <Field id="invite-email" label="Email" error={fieldError(error, "email")} hint="They need a Weft account already." className="flex-1">
          {(control) => <Input {...control} type="email" value={email} onChange={(e) => setEmail(e.target.value)} autoComplete="off" />}
        </Field>
        <Field id="invite-role" label="Role" error={fieldError(error, "role")} className="sm:w-40">
          {(control) => (
            <Select {...control} value={newRole} onChange={(e) => setNewRole(e.target.value as WorkspaceRole)}>
              {grantableRoles(role).map((option) => (
                <option key={option.value} value={option.value}>
                  {option.label}
                </option>
              ))}
            </Select>
          )}
        </Field>
        <Button type="submit" pending={invite.isPending} className="sm:mt-[1.375rem]">
          <UserPlus aria-hidden />
          Add member
        </Button>
      </div>
      <p role="status" className="text-sm text-success empty:hidden">
        {added ?? ""}
      </p>
    </form>
  );
}
