import type { components } from "@fours/api";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { App, Button, Card, Checkbox, Form, Input, Modal, Select, Space, Table, Tag } from "antd";
import dayjs from "dayjs";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api, call } from "../../api/client";
import { ProblemAlert } from "../../components/ProblemAlert";
import { showProblem } from "../../components/forms";
import { TONE } from "../../components/palette";
import { PageTitle } from "../../components/PageTitle";

type Complaint = components["schemas"]["Complaint"];
type State = NonNullable<Complaint["state"]>;
type Action = "assign" | "resolve" | "callback";
/** The buttons for what the complaint allows: the two outcomes of a call-back are one call. */
export function actionsOf(allowed: string[]): Action[] {
  const actions = new Set(allowed.map((a) => (a.startsWith("callback") ? "callback" : a)));
  return (["assign", "resolve", "callback"] as const).filter((a) => actions.has(a));
}
const SEVERITY_TONE: Record<string, string> = { minor: TONE.blue, major: TONE.orange, critical: TONE.red };

/** Complaints (AS-6) from the follow-up calls and the front desk: who takes each, what was done, and
 * the call-back that closes it (an unhappy one opens it again). */
export default function Complaints() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queries = useQueryClient();
  const [state, setState] = useState<State | undefined>("open");
  const [working, setWorking] = useState<{ complaint: Complaint; action: Action } | null>(null);
  const [problem, setProblem] = useState<unknown>(null);
  const [form] = Form.useForm<{ assignee_no?: string; resolution?: string; notes?: string; satisfied?: boolean }>();
  const list = useQuery({
    queryKey: ["complaints", state],
    queryFn: () => call(api.GET("/api/v1/complaints", { params: { query: { state, limit: 200 } } })),
  });
  const act = useMutation({
    mutationFn: ({ complaint, action, values }: { complaint: Complaint; action: Action; values: { assignee_no?: string; resolution?: string; notes?: string; satisfied?: boolean } }) => {
      const params = { path: { complaint_id: complaint.id } };
      if (action === "assign") return call(api.POST("/api/v1/complaints/{complaint_id}/assign", { params, body: { assignee_no: values.assignee_no ?? "" } }));
      if (action === "resolve") return call(api.POST("/api/v1/complaints/{complaint_id}/resolve", { params, body: { resolution: values.resolution ?? "" } }));
      return call(api.POST("/api/v1/complaints/{complaint_id}/callback", { params, body: { notes: values.notes ?? "", satisfied: values.satisfied ?? false } }));
    },
    onSuccess: () => {
      message.success(t("complaints.saved"));
      setWorking(null);
      void queries.invalidateQueries({ queryKey: ["complaints"] });
    },
    onError: (error) => setProblem(showProblem(form, error)),
  });
  return (
    <Card
      title={
        <PageTitle>
          {t("complaints.title")}
        </PageTitle>
      }
      extra={
        <Select<State | undefined>
          aria-label={t("complaints.state")}
          allowClear
          value={state}
          onChange={setState}
          style={{ width: 130 }}
          options={(["open", "assigned", "resolved", "closed"] as const).map((s) => ({ value: s, label: t(`complaints.states.${s}`) }))}
        />
      }
    >
      {list.error && <ProblemAlert error={list.error} what={t("complaints.title")} onRetry={() => void list.refetch()} />}
      <Table
        rowKey="id"
        size="small"
        loading={list.isLoading}
        dataSource={list.data?.items ?? []}
        pagination={false}
        scroll={{ x: 760 }}
        columns={[
          { title: t("common.created"), dataIndex: "created_at", render: (at: string) => dayjs(at).format("MM-DD HH:mm") },
          { title: t("complaints.severity"), dataIndex: "severity", render: (s: string) => <Tag color={SEVERITY_TONE[s]}>{t(`followUps.severities.${s}`)}</Tag> },
          { title: t("common.customer"), render: (_: unknown, c) => `${c.customer_name ?? ""} ${c.customer_mobile ?? ""}` },
          { title: "VIN", dataIndex: "vin" },
          { title: t("complaints.description"), dataIndex: "description" },
          { title: t("complaints.assignee"), dataIndex: "assignee_no" },
          {
            title: t("common.actions"),
            render: (_: unknown, c) => (
              <Space wrap>
                {actionsOf(c.allowed_actions ?? []).map((action) => (
                  <Button
                    key={action}
                    size="small"
                    onClick={() => {
                      setProblem(null);
                      form.resetFields();
                      setWorking({ complaint: c, action });
                    }}
                  >
                    {t(`complaints.actions.${action}`)}
                  </Button>
                ))}
              </Space>
            ),
          },
        ]}
      />
      <Modal
        open={working !== null}
        title={working ? t(`complaints.actions.${working.action}`) : ""}
        okText={t("common.save")}
        cancelText={t("common.cancel")}
        onOk={() => form.submit()}
        confirmLoading={act.isPending}
        onCancel={() => setWorking(null)}
      >
        {problem !== null && <ProblemAlert error={problem} />}
        <Form form={form} layout="vertical" onFinish={(values) => working && act.mutate({ ...working, values })}>
          {working?.action === "assign" && (
            <Form.Item name="assignee_no" label={t("complaints.assignee")} rules={[{ required: true }]}>
              <Input maxLength={32} />
            </Form.Item>
          )}
          {working?.action === "resolve" && (
            <Form.Item name="resolution" label={t("complaints.resolution")} rules={[{ required: true }]}>
              <Input.TextArea rows={3} maxLength={2000} />
            </Form.Item>
          )}
          {working?.action === "callback" && (
            <>
              <Form.Item name="satisfied" valuePropName="checked">
                <Checkbox>{t("complaints.satisfied")}</Checkbox>
              </Form.Item>
              <Form.Item name="notes" label={t("common.notes")}>
                <Input.TextArea rows={2} maxLength={2000} />
              </Form.Item>
            </>
          )}
        </Form>
      </Modal>
    </Card>
  );
}
