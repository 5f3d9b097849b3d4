import type { components } from "@fours/api";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Alert, App, Button, Card, Form, Input, Modal, Popconfirm, Select, Table, Tag, Typography } from "antd";
import dayjs from "dayjs";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api, call } from "../../api/client";
import { ProblemAlert } from "../../components/ProblemAlert";
import { showProblem } from "../../components/forms";
import { TONE } from "../../components/palette";
import { PageTitle } from "../../components/PageTitle";

type ApiKeyIn = components["schemas"]["ApiKeyIn"];

/** The general manager's keys for insurers, manufacturers and portals: who may push what; a new key
 * is shown once. */
export default function ApiKeys() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queries = useQueryClient();
  const [form] = Form.useForm<ApiKeyIn>();
  const [adding, setAdding] = useState(false);
  const [problem, setProblem] = useState<unknown>(null);
  const [shown, setShown] = useState<string | null>(null);
  const keys = useQuery({ queryKey: ["api-keys"], queryFn: () => call(api.GET("/api/v1/api-keys")) });
  const roles = useQuery({ queryKey: ["roles"], queryFn: () => call(api.GET("/api/v1/roles")), staleTime: Infinity });
  const scopes = [...new Set((roles.data ?? []).flatMap((r) => r.permissions))].filter((p) => p !== "admin").sort();
  const create = useMutation({
    mutationFn: (body: ApiKeyIn) => call(api.POST("/api/v1/api-keys", { body })),
    onSuccess: (made) => {
      setAdding(false);
      form.resetFields();
      setShown(made.key);
      void queries.invalidateQueries({ queryKey: ["api-keys"] });
    },
    onError: (error) => setProblem(showProblem(form, error)),
  });
  const revoke = useMutation({
    mutationFn: (keyId: string) => call(api.DELETE("/api/v1/api-keys/{key_id}", { params: { path: { key_id: keyId } } })),
    onSuccess: () => {
      message.success(t("apiKeys.revoked"));
      void queries.invalidateQueries({ queryKey: ["api-keys"] });
    },
  });
  return (
    <Card
      title={
        <PageTitle>
          {t("apiKeys.title")}
        </PageTitle>
      }
      extra={
        <Button type="primary" onClick={() => setAdding(true)}>
          {t("apiKeys.new")}
        </Button>
      }
    >
      {shown && <Alert type="success" showIcon closable onClose={() => setShown(null)} title={t("apiKeys.once")} description={<Typography.Text copyable code>{shown}</Typography.Text>} style={{ marginBottom: 12 }} />}
      {(keys.error || revoke.error) && <ProblemAlert error={keys.error ?? revoke.error} />}
      <Table
        rowKey="id"
        size="small"
        loading={keys.isLoading}
        dataSource={keys.data?.items ?? []}
        pagination={false}
        scroll={{ x: 720 }}
        columns={[
          { title: t("apiKeys.name"), dataIndex: "name" },
          { title: t("apiKeys.partner"), dataIndex: "partner" },
          { title: t("apiKeys.scopes"), dataIndex: "scopes", render: (s: string[]) => s.join(", ") },
          { title: t("apiKeys.lastUsed"), dataIndex: "last_used_at", render: (at: string | null) => (at ? dayjs(at).format("YYYY-MM-DD HH:mm") : "—") },
          {
            title: t("common.actions"),
            render: (_: unknown, key) =>
              key.revoked_at ? (
                <Tag color={TONE.grey}>{t("apiKeys.revoked")}</Tag>
              ) : (
                <Popconfirm title={t("apiKeys.revokeConfirm")} onConfirm={() => revoke.mutate(key.id)} okText={t("apiKeys.revoke")} cancelText={t("common.cancel")}>
                  <Button size="small" danger>
                    {t("apiKeys.revoke")}
                  </Button>
                </Popconfirm>
              ),
          },
        ]}
      />
      <Modal open={adding} title={t("apiKeys.new")} okText={t("common.save")} cancelText={t("common.cancel")} onOk={() => form.submit()} confirmLoading={create.isPending} onCancel={() => setAdding(false)}>
        {problem !== null && <ProblemAlert error={problem} />}
        <Form<ApiKeyIn>
          form={form}
          layout="vertical"
          onFinish={(values) => {
            setProblem(null);
            create.mutate(values);
          }}
        >
          <Form.Item name="name" label={t("apiKeys.name")} rules={[{ required: true }]}>
            <Input maxLength={100} />
          </Form.Item>
          <Form.Item name="partner" label={t("apiKeys.partner")} rules={[{ required: true }]}>
            <Input maxLength={64} />
          </Form.Item>
          <Form.Item name="scopes" label={t("apiKeys.scopes")} rules={[{ required: true }]}>
            <Select mode="multiple" options={scopes.map((s) => ({ value: s, label: s }))} />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
