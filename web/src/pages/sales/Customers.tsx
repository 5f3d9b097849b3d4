import type { components } from "@fours/api";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { App, Button, Card, Form, Input, Modal, Select, Space, Table } from "antd";
import dayjs from "dayjs";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { api, call } from "../../api/client";
import { customerSearch } from "../../api/customers";
import { useAuth } from "../../auth/AuthContext";
import { ProblemAlert } from "../../components/ProblemAlert";
import { showProblem } from "../../components/forms";
import { PageTitle } from "../../components/PageTitle";

type Customer = components["schemas"]["Customer"];
type Action = { kind: "reassign" | "merge"; customer: Customer } | null;

/** Customers by name or mobile, each opening its 360; the sales manager gives one to another
 * consultant (LEAD-3) or merges a duplicate into it. */
export default function Customers() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { permissions } = useAuth();
  const queries = useQueryClient();
  const [q, setQ] = useState<string | undefined>();
  const [action, setAction] = useState<Action>(null);
  const [problem, setProblem] = useState<unknown>(null);
  const [form] = Form.useForm<{ owner_no?: string; reason?: string; duplicate_id?: string }>();
  const manager = permissions.has("leads:manage");
  // the duplicate is found the way the customer was: by name or mobile
  const [duplicateQ, setDuplicateQ] = useState("");
  const duplicates = useQuery({
    queryKey: ["customers", "duplicates", duplicateQ],
    queryFn: () =>
      call(api.GET("/api/v1/customers", { params: { query: { ...customerSearch(duplicateQ), limit: 20 } } })),
    enabled: action?.kind === "merge" && duplicateQ.length > 0,
  });
  const list = useQuery({
    queryKey: ["customers", q],
    queryFn: () => call(api.GET("/api/v1/customers", { params: { query: { ...customerSearch(q ?? ""), limit: 100 } } })),
  });
  const act = useMutation({
    mutationFn: async (values: { owner_no?: string; reason?: string; duplicate_id?: string }) => {
      if (!action) return;
      const path = { customer_id: action.customer.id };
      if (action.kind === "reassign")
        return call(api.POST("/api/v1/customers/{customer_id}/reassign", { params: { path }, body: { owner_no: values.owner_no ?? "", reason: values.reason ?? "" } }));
      return call(api.POST("/api/v1/customers/{customer_id}/merge", { params: { path }, body: { duplicate_id: values.duplicate_id ?? "" } }));
    },
    onSuccess: () => {
      message.success(t("customers.saved"));
      setAction(null);
      void queries.invalidateQueries({ queryKey: ["customers"] });
    },
    onError: (error) => setProblem(showProblem(form, error)),
  });
  const open = (kind: "reassign" | "merge", customer: Customer) => {
    form.resetFields();
    setDuplicateQ("");
    setProblem(null);
    setAction({ kind, customer });
  };
  return (
    <Card
      title={
        <PageTitle>
          {t("customers.title")}
        </PageTitle>
      }
      extra={<Input.Search aria-label={t("customers.search")} placeholder={t("customers.search")} allowClear onSearch={(v) => setQ(v.trim() || undefined)} style={{ width: 240 }} />}
    >
      {list.error && <ProblemAlert error={list.error} onRetry={() => void list.refetch()} />}
      <Table
        rowKey="id"
        size="small"
        loading={list.isLoading}
        dataSource={list.data?.items ?? []}
        pagination={false}
        scroll={{ x: 640 }}
        columns={[
          { title: t("common.customer"), dataIndex: "name", render: (name: string, c) => <Link to={`/customers/${c.id}`}>{name}</Link> },
          { title: t("common.mobile"), dataIndex: "mobile" },
          { title: t("leads.owner"), dataIndex: "owner_no" },
          { title: t("common.created"), dataIndex: "created_at", render: (at: string) => dayjs(at).format("YYYY-MM-DD") },
          ...(manager
            ? [
                {
                  title: t("common.actions"),
                  render: (_: unknown, c: Customer) => (
                    <Space>
                      <Button size="small" onClick={() => open("reassign", c)}>
                        {t("customers.reassign")}
                      </Button>
                      <Button size="small" onClick={() => open("merge", c)}>
                        {t("customers.merge")}
                      </Button>
                    </Space>
                  ),
                },
              ]
            : []),
        ]}
      />
      <Modal
        open={action !== null}
        title={action ? `${t(`customers.${action.kind}`)} · ${action.customer.name}` : ""}
        okText={t("common.save")}
        cancelText={t("common.cancel")}
        onOk={() => form.submit()}
        confirmLoading={act.isPending}
        onCancel={() => setAction(null)}
      >
        {problem !== null && <ProblemAlert error={problem} />}
        <Form form={form} layout="vertical" onFinish={(values) => act.mutate(values)}>
          {action?.kind === "reassign" ? (
            <>
              <Form.Item name="owner_no" label={t("customers.newOwner")} rules={[{ required: true }]}>
                <Input maxLength={32} />
              </Form.Item>
              <Form.Item name="reason" label={t("customers.reason")} rules={[{ required: true }]}>
                <Input.TextArea rows={2} maxLength={500} />
              </Form.Item>
            </>
          ) : (
            <Form.Item name="duplicate_id" label={t("customers.duplicate")} rules={[{ required: true }]}>
              <Select
                showSearch={{ filterOption: false, onSearch: (text) => setDuplicateQ(text.trim()) }}
                placeholder={t("customers.search")}
                loading={duplicates.isFetching}
                notFoundContent={duplicateQ ? t("customers.noDuplicate") : null}
                options={(duplicates.data?.items ?? [])
                  .filter((c) => c.id !== action?.customer.id)
                  .map((c) => ({
                    value: c.id,
                    label: `${c.name} · ${c.mobile} · ${dayjs(c.created_at).format("YYYY-MM-DD")} · ${c.owner_no ?? ""}`,
                  }))}
              />
            </Form.Item>
          )}
        </Form>
      </Modal>
    </Card>
  );
}
